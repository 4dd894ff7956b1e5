"""Write one edition's plain MkDocs project: ``build/<edition>/docs`` (pages, assets, charts,
feeds, booklets) and its ``mkdocs.yml``.

The project is for anyone to inspect, or to build with plain ``mkdocs build -f``; jiandi's
plugin (plugin/plugin.py) is listed in it. ``project_state`` records what the pages depend on,
so that a rebuild where only record bodies changed renders only those records' pages.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator import clock
from generator.booklets.printing import SideBySide, publish_booklets
from generator.caches import code_digest, folder_digest, jinja_folder
from generator.config import settings_of
from generator.content.corpus import Entry
from generator.content.disclosure import index_numbers
from generator.content.kinds import PROGRAMME_TERMS
from generator.content.yamlstrict import to_plain
from generator.editions import Edition, make, name_of
from generator.media import photos
from generator.media.assets import copy_asset
from generator.media.usage import public_assets as used_assets
from generator.site import charts, feeds, output, render
from generator.site import pages as pages_mod
from generator.workflow.review import ledger


def site_name(base: dict[str, Any], edition: Edition) -> str:
    settings = settings_of(base)
    return settings.site_name + (settings.jiandi.internal_suffix if edition.internal else "")


def edition_site_url(base: dict[str, Any], edition: Edition) -> str:
    """The address the edition is served at: the internal one lives under ``internal/``."""
    url = str(base.get("site_url") or "")
    return url.rstrip("/") + "/internal/" if url and edition.internal else url


def edition_config(
    base: dict[str, Any], edition: Edition, templates: Path, userdict: Path
) -> dict[str, Any]:
    """The edition's ``mkdocs.yml``: the base config plus what jiandi must decide."""
    config: dict[str, Any] = yaml.safe_load(yaml.safe_dump(base))  # a deep copy
    config["site_name"] = site_name(base, edition)
    if config.get("site_url"):
        config["site_url"] = edition_site_url(base, edition)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"  # for a plain `mkdocs build -f`; jiandi builds elsewhere
    config["nav"] = pages_mod.nav(edition)
    config["strict"] = True
    config["use_directory_urls"] = True
    theme = config.setdefault("theme", {"name": "material"})
    theme["custom_dir"] = str(templates / "overrides")
    theme.setdefault("language", "zh")
    theme["font"] = False  # never Google Fonts
    config.setdefault("extra", {})["jiandi_edition"] = edition.name
    # The folder the edition is served from, for the 404 page (templates/overrides/404.html).
    config["extra"]["jiandi_root"] = urlsplit(edition_site_url(base, edition)).path or "/"
    identity = settings_of(base).jiandi.site
    # The footer of every page (templates/overrides/partials/copyright.html).
    config["extra"]["jiandi_site"] = {
        **identity.model_dump(exclude_none=True),
        **({"police_code": identity.police_code} if identity.police_record else {}),
    }
    if identity.conac_mark and identity.conac_mark.image in edition.corpus.assets:
        name = identity.conac_mark.image
        size = photos.measure(name, edition.corpus.assets[name])  # as published
        config["extra"]["jiandi_site"]["conac_mark"].update(width=size.width, height=size.height)
    config["extra"].pop("jiandi", None)
    plugins = config.get("plugins") or ["search"]
    for index, plugin in enumerate(plugins):
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "search":
            options = {} if isinstance(plugin, str) else dict(plugin[name] or {})
            options["jieba_dict_user"] = str(userdict)
            plugins[index] = {"search": options}
    # jiandi's own plugin (plugin/plugin.py) last, once, whatever mkdocs.yml says of it.
    config["plugins"] = [*(p for p in plugins if _plugin_name(p) != "jiandi"), "jiandi"]
    config.pop("hooks", None)
    # Links MkDocs only reports as "info" by default become warnings, which strict mode fails on.
    config["validation"] = {
        "omitted_files": "info",  # the nav is deliberately compact
        "not_found": "warn",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
        "anchors": "warn",
    }
    return config


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def public_assets(edition: Edition, base: dict[str, Any]) -> set[str]:
    """Assets referenced by what this edition shows (all of them in the internal edition),
    and the 党政机关网站标识 the footer shows."""
    if edition.internal:
        return set(edition.corpus.assets)
    mark = settings_of(base).jiandi.site.conac_mark
    used = used_assets(edition.corpus, str(base.get("site_url") or ""))
    return set(used) | ({mark.image} if mark else set())


def userdict_words(edition: Edition) -> list[str]:
    words = set(PROGRAMME_TERMS)
    words.update(topic.name for topic in edition.topics.values())
    # Short names and regions, not full titles: a title kept whole as one token could not be
    # found by its parts ("司法局", "开福区").
    for bureau in edition.bureaus:
        words.update([bureau.data.short_name, bureau.data.region])
    return sorted(w for w in words if w and " " not in w)


def page_renderer(
    edition: Edition,
    base: dict[str, Any],
    project: Path,
    templates: Path,
    booklets: bool,
    charts: dict[str, Any],
) -> tuple[Any, dict[str, Any]]:
    """The Jinja2 environment and the settings every page template sees."""
    settings = {
        **settings_of(base).template_values(),
        "booklets": booklets,
        "charts": charts,
        "index_numbers": {
            ref: str(n)
            for ref, n in index_numbers(edition.corpus, settings_of(base).jiandi.issuers).items()
        },
    }
    if edition.internal:  # who signed what: internal, like the sign-offs themselves
        review = settings_of(base).jiandi.review
        settings["ledger"] = ledger(
            edition.corpus, review.roles, review.required, str(base.get("site_url") or "")
        )
    cache = jinja_folder(project.parent / "jinja-cache", "pages")
    return render.environment(templates, cache), settings


def write_project(
    edition: Edition,
    base: dict[str, Any],
    project: Path,
    templates: Path,
    booklets: bool = False,
    incremental: bool = False,
    side: SideBySide | None = None,
) -> tuple[Path, dict[str, Path]]:
    """Write ``project/docs`` (pages, assets, booklets) and ``project/mkdocs.yml``. ``side``:
    the editions printing booklets at the same time in other processes (SideBySide).

    With ``incremental``, files whose bytes did not change are left alone (mtime included), so
    a previewing MkDocs rebuilds only what changed. Returns the config file and, for each page
    that shows a record, its content file.
    """
    final = project / "docs"
    docs = project / "docs.next" if incremental else final
    state_file = project / "project-state.json"
    state = None if incremental else project_state(edition, base, templates, booklets)
    changed = _bodies_changed_since(state_file, state) if final.is_dir() else None
    state_file.unlink(missing_ok=True)  # docs/ is about to change: trust it again only at the end
    if changed is None and docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True, exist_ok=True)
    env, settings = page_renderer(
        edition, base, project, templates, booklets, charts.write(edition, docs)
    )
    sources: dict[str, Path] = {}
    for page in pages_mod.plan(edition):
        if page.source:
            sources[page.path] = page.source
        target = docs / page.path
        if changed is not None and page.source not in changed and target.is_file():
            continue  # the same page as the last build wrote (see project_state)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render.render_page(env, edition, page, settings), encoding="utf-8")
    published: list[photos.Plan] = []
    for name in sorted(public_assets(edition, base)):
        source = edition.corpus.assets[name]
        try:
            if photos.is_photo(name) and not photos.animated(source):
                published.append(photos.publish(source, name, docs, photos.cache_folder(project)))
                continue
        except (OSError, ValueError):
            if not edition.internal:
                raise  # check refuses what does not decode: this is no photo of public content
        copy_asset(source, docs / name, strip=not edition.internal)
    photos.write_manifest(project, published)
    if booklets:
        others = [make(edition.corpus, name_of(name)) for name in side.editions] if side else []
        publish_booklets(
            edition,
            docs,
            templates,
            base,
            project.parent / "booklet-cache",
            settings["briefing_months"],
            side.claims if side else None,
            others,
        )
    feeds.write(
        edition,
        docs,
        site_name(base, edition),
        edition_site_url(base, edition),
        str(base.get("site_author") or site_name(base, edition)),
        {photo.name: photo.thumbnail for photo in published},
    )
    robots = "User-agent: *\nDisallow: /\n" if edition.internal else "User-agent: *\nAllow: /\n"
    if not edition.internal and base.get("site_url"):
        robots += f"Sitemap: {str(base['site_url']).rstrip('/')}/sitemap.xml\n"
    (docs / "robots.txt").write_text(robots, encoding="utf-8")
    userdict = project / "userdict.txt"
    userdict.write_text("".join(f"{w} 100000\n" for w in userdict_words(edition)), encoding="utf-8")
    if incremental:
        output.sync_tree(docs, final)
        shutil.rmtree(docs)
    config = edition_config(base, edition, templates, userdict)
    config_file = project / "mkdocs.yml"
    config_file.write_text(
        "# Generated by jiandi from the top-level mkdocs.yml: edit that one, not this.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    if state is not None:
        state_file.write_text(json.dumps(state), encoding="utf-8")
    return config_file, sources


def record_frame(entry: Entry) -> list[Any]:
    """All of a record that pages other than its own may show: everything but its body, and
    where the links in its body point (not on which line). When this is unchanged, only the
    record's own page can differ. Used by the build (project_state) and the live preview.
    Whether it is held (an embargo that lifted between two builds of one day) is part of it."""
    links = [(link.target, link.text, link.image, internal) for link, internal in entry.links]
    return [entry.ref, str(entry.path), to_plain(entry.raw), links, str(entry.held_until)]


def project_state(
    edition: Edition, base: dict[str, Any], templates: Path, booklets: bool
) -> dict[str, Any]:
    """What the generated pages of ``edition`` depend on, in two parts: ``frame`` (templates,
    settings, jiandi's code, the build date; every record's front matter, file and links; the
    topics and assets) and each record's ``bodies``. A page shows no body but its own record's,
    so when only bodies changed since the last build, only those records' pages are rendered
    again; anything else renders every page."""
    frame = hashlib.sha256()
    frame.update(code_digest().encode("utf-8") + b"\0")
    for part in (
        json.dumps(base, sort_keys=True, default=str),
        edition.name,
        str(booklets),
        str(clock.today()),  # booklets not in the register are dated the day of the build
        folder_digest(templates),
        json.dumps(
            {k: v.model_dump() for k, v in sorted(edition.corpus.topics.items())},
            sort_keys=True,
            default=str,
        ),
        json.dumps({k: str(v) for k, v in sorted(edition.corpus.assets.items())}),
    ):
        frame.update(part.encode("utf-8") + b"\0")
    bodies = {}
    for entry in edition.corpus.all():
        frame.update(
            json.dumps(record_frame(entry), sort_keys=True, default=str).encode("utf-8") + b"\0"
        )
        bodies[entry.ref] = [
            str(entry.path),
            hashlib.sha256(
                json.dumps([(s.text, s.internal) for s in entry.segments]).encode("utf-8")
            ).hexdigest(),
        ]
    return {"frame": frame.hexdigest(), "bodies": bodies}


def _bodies_changed_since(state_file: Path, state: dict[str, Any] | None) -> set[Path] | None:
    """The content files whose body changed since the build that wrote ``state_file``, or None
    when anything else changed (or there is no trustworthy earlier state)."""
    if state is None:
        return None
    try:
        before = json.loads(state_file.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(before, dict)
        or before.get("frame") != state["frame"]
        or not isinstance(before.get("bodies"), dict)
        or before["bodies"].keys() != state["bodies"].keys()
    ):
        return None
    return {
        Path(path)
        for ref, (path, body) in state["bodies"].items()
        if before["bodies"][ref] != [path, body]
    }
