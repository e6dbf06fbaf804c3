"""The REST API (Django REST framework, OpenAPI 3 by drf-spectacular): the pages' layer for
scripts and CI. It reads through the selectors and writes through the services, with the same
access rules as the pages: another organisation's object is 404, a viewer's write 403, and a
read-only token's write 403. docs/api.md shows it in use."""
