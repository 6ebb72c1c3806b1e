"""Every touch of another package's internals (ABlog, Sphinx, the book theme), each module with its reason at the top
and a test that fails when the upstream code it relies on changes."""
