# Host tests: filled in below.
