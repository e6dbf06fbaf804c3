"""Where background tasks queued before version 2 find their code.

django-tasks stores a queued task by dotted path, and the export task lived here until the
services were split by feature (it is now `assessment.services.exports.export_organization`).
Jobs queued under the old path, by a worker of the previous release, still run.
"""

from assessment.services.exports import export_organization

__all__ = ["export_organization"]
