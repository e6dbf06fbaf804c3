"""The SVG charts: valid, described for screen readers, free of styles and scripts, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from assessment.charts.glance import CellScore, PhaseLevels, PhaseScores, level_chart, score_chart

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ((0, "Manual process"), (1, "ML pipeline automation"), (2, "CI/CD pipeline automation"))


def level_svg(name: str = "Design") -> str:
    return level_chart(
        [
            PhaseLevels(name, level=1, target=2, target_given=True),
            PhaseLevels("Operations", level=None, target=0, target_given=False),
        ],
        LEVELS,
    )


def score_svg(name: str = "Design") -> str:
    return score_chart(
        [
            PhaseScores(
                name,
                (CellScore(0, 100.0, True), CellScore(1, 58.33, False), CellScore(2, None, True)),
            )
        ],
        80.0,
    )


def parse(svg: str) -> ET.Element:
    """Our own chart markup, parsed strictly: any escaping mistake raises."""
    return ET.fromstring(svg)  # noqa: S314 - trusted input: the charts module's own output


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def attribute(element: ET.Element, name: str) -> str:
    value = element.get(name)
    assert value is not None, f"{element.tag} has no {name}"
    return value


def description(root: ET.Element) -> str:
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert desc.text is not None
    return desc.text


@pytest.mark.parametrize("make", [level_svg, score_svg], ids=["levels", "scores"])
def test_a_chart_is_valid_svg_with_a_title_and_a_description_first(make) -> None:
    root = parse(make())

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    first, second = list(root)[:2]
    assert (first.tag, second.tag) == (f"{SVG}title", f"{SVG}desc")
    assert first.text
    assert second.text
    # aria-labelledby names exactly the title and the description.
    assert attribute(root, "aria-labelledby").split() == [first.get("id"), second.get("id")]
    assert attribute(root, "viewBox").startswith("0 0 ")


@pytest.mark.parametrize("make", [level_svg, score_svg], ids=["levels", "scores"])
def test_a_chart_has_no_style_and_no_script(make) -> None:
    markup = make()
    root = parse(markup)

    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"style", "script", "foreignObject"}
    assert not [element for element in root.iter() if "style" in element.attrib]
    assert not [name for e in root.iter() for name in e.attrib if name.startswith("on")]
    assert "javascript:" not in markup


@pytest.mark.parametrize("make", [level_svg, score_svg], ids=["levels", "scores"])
def test_names_are_escaped(make) -> None:
    name = 'R&D <script>alert("x")</script>'

    root = parse(make(name))  # would raise on unescaped markup

    assert name in texts(root)
    assert root.find(f"{SVG}script") is None


def test_the_level_chart_says_each_level_and_target_in_words() -> None:
    root = parse(level_svg())

    assert "Level 1 · target 2" in texts(root)
    assert "Not yet level 0 · target 0" in texts(root)
    desc = description(root)
    assert "Design: level 1, target level 2." in desc
    assert "Operations: not yet level 0, target level 0 (the next level)." in desc
    assert "level 1: ML pipeline automation" in desc


def test_the_level_chart_tells_reached_target_and_beyond_apart_without_colour() -> None:
    root = parse(level_svg())
    segments = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "22"]

    # Design (level 1, target 2): two filled, one dashed. Operations: one dashed, two outlined.
    styles = [
        "filled"
        if r.get("fill") != "#ffffff"
        else "dashed"
        if r.get("stroke-dasharray")
        else "open"
        for r in segments
    ]
    assert styles == ["filled", "filled", "dashed", "dashed", "open", "open"]
    assert {"reached", "up to the target", "beyond the target"} <= set(texts(root))


def test_the_score_chart_writes_each_percent_and_status() -> None:
    root = parse(score_svg())

    assert "Level 0: 100\u00a0% · met" in texts(root)
    assert "Level 1: 58\u00a0% · not met" in texts(root)
    assert "Level 2: no applicable question" in texts(root)
    assert "threshold 80\u00a0%" in texts(root)
    assert "Design Level 1: 58 % · not met" in description(root)


def test_the_score_chart_draws_bars_in_proportion() -> None:
    root = parse(score_svg())
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") != "#f1f4f7"]

    full, partial = (float(attribute(bar, "width")) for bar in bars)
    assert partial == pytest.approx(full * 0.5833, abs=0.1)


def test_the_team_trend_of_points_draws_no_misleading_threshold() -> None:
    from assessment.charts.trend import TrendPoint, percent_trend_chart

    points = [
        TrendPoint("2026 Q2", 0, {"design": (0, 55.0)}),
        TrendPoint("2026 Q3", 0, {"design": (0, 61.0)}),
    ]
    root = parse(percent_trend_chart(points, [("design", "Design")]))

    assert not any("threshold" in text for text in texts(root))
    assert "Design 61\u00a0%" in texts(root)


def test_level_0_is_drawn_as_practices_in_place_when_every_one_is_needed() -> None:
    from assessment.charts.glance import CellScore, PhaseScores, score_chart

    root = parse(
        score_chart(
            [
                PhaseScores(
                    "Design",
                    (
                        CellScore(0, 64.29, True, in_place=7, applicable=7),
                        CellScore(1, 58.0, False),
                    ),
                )
            ],
            80.0,
        )
    )

    assert "Level 0: 7 of 7 in place · met" in texts(root)
    assert "Level 1: 58\u00a0% · not met" in texts(root)
