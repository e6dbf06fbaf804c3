"""Pages, one module per feature. Views are thin: they check access (through selectors and
`assessment.permissions`), hand validated form data to a service, and render. No views module
imports another."""
