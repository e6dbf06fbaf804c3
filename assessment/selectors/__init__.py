"""Reads. Views, forms, services and commands call these; one module per feature. Access checks
(404 outside the user's organisations) happen here, in the `*_for_user` selectors."""
