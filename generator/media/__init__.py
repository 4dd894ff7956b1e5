"""The files that come with records (content/assets/): which types the public edition accepts,
and how each is cleaned of what it carries besides the picture or the text."""
