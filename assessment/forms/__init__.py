"""Forms, one module per feature. They validate what a page sends (reading through selectors
where they must); services write."""
