"""Content collectors: what the build knows of posts, notes and the links between pages, kept on the environment."""
