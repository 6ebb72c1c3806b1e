"""Publishing: what goes out besides the pages (feeds, discovery tags and sitemap, redirects, comments)."""
