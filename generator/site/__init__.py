"""The site stage: pages, assets, feeds and charts written into a MkDocs project, built and published."""
