"""The maturity report: one view of a result, shown as a web page and printed as a PDF."""
