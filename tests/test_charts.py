"""The charts of the web pages: each news item counted once, text readable on a phone."""

from __future__ import annotations

import re

from generator.check import validate
from generator.editions import make
from generator.site import charts
from tests.conftest import SAMPLE, write_tree
from tests.test_load import event


def _edition(root, name="public"):
    corpus, problems = validate(root)
    assert not problems.errors, problems.sorted()
    return make(corpus, name)


def test_home_chart_counts_each_news_item_once(content):
    bureaus = {
        f"bureaus/b{i}.md": f"---\ntitle: 司法局{i}\nshort_name: 县{i}\nregion: 市\nvisibility: public\n---\n"
        for i in range(4)
    }
    many = "title: 签约\nvisibility: public\ndate: 2023-12-27\nbureaus: [b0, b1, b2, b3]\n"
    write_tree(content, {**bureaus, "events/2023-12-27-qianyue.md": event(many)})
    edition = _edition(content)
    home = charts.plan(edition)["home"]
    assert sum(sum(s.values.values()) for s in home.series) == len(edition.events) == 2
    assert home.alt == "各月新闻数：新闻2条"
    # each bureau's own chart counts its own news items
    assert sum(charts.plan(edition)["bureaus/b0"].series[0].values.values()) == 1


def test_sample_home_chart_matches_the_news_count():
    edition = _edition(SAMPLE)
    home = charts.plan(edition)["home"]
    assert sum(sum(s.values.values()) for s in home.series) == len(edition.events)


def test_web_charts_are_drawn_for_a_phone_column():
    edition = _edition(SAMPLE)
    planned = charts.plan(edition)
    assert any(key.startswith("figures/") for key in planned)
    for key, chart in planned.items():
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', chart.svg).group(1))
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', chart.svg)]
        # at 350 px (a 390-px phone's column) no text is smaller than 11 px
        assert width <= 340 and min(sizes) * 350 / width >= 11, (key, width, min(sizes))


def test_month_labels_are_short_and_thinned():
    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 13)]
    labels = charts.month_labels(months, 8)
    assert labels[0] == "1月\n2023" and labels[1] == "" and labels[3] == "4月"
    assert sum(1 for label in labels if label) <= 8
    assert charts.month_labels(["2023-12", "2024-01"], 8) == ["12月\n2023", "1月\n2024"]
