"""The whole of ``jiandi check``: the content tree read and validated, every reference checked
across records, and the site settings (mkdocs.yml) checked with it."""

from __future__ import annotations

from pathlib import Path

from generator.config import (
    check_names,
    check_site,
    load_base_config,
    markdown_settings,
    project_file,
)
from generator.content import disclosure
from generator.content.load import Corpus, Memo, load
from generator.content.personal import check_personal_data
from generator.content.resolve import (
    check_anchors,
    check_public_assets,
    check_references,
    check_topics,
)
from generator.problems import ContentError, Problems


def validate(root: Path, memo: Memo | None = None) -> tuple[Corpus, Problems]:
    """Load the content tree and check every reference: the whole of ``jiandi check``.

    ``memo``: see ``load``; the checks across records always run on the whole tree."""
    corpus, problems = load(root, memo)
    base_file = project_file("mkdocs.yml")
    try:
        base = load_base_config(base_file)
    except ContentError as error:
        problems.items.extend(error.problems.items)
        base = {}
    check_references(corpus, problems, str(base.get("site_url") or ""))
    check_anchors(corpus, problems, markdown_settings(base))
    check_personal_data(corpus, problems)
    check_topics(corpus, problems)
    check_public_assets(corpus, problems)
    check_names(root, problems)
    if base:
        check_site(base, base_file, problems)
    disclosure.check(corpus, problems)
    return corpus, problems
