"""Short labels that fit: money axes in thousands, millions or billions; the findings count of the totals strip."""

from desktop.display import axis_label_format, axis_scale


def test_a_chart_peaking_in_the_hundreds_of_millions_is_labelled_in_millions():
    divisor, unit = axis_scale(200_000_000.0)
    assert (divisor, unit) == (1e6, "M")
    assert axis_label_format("USD", unit) % (300_000_000 / divisor) == "$300M"


def test_a_chart_under_a_million_stays_in_thousands_and_billions_go_to_billions():
    assert axis_scale(950_000.0) == (1e3, "k")
    assert axis_scale(4_200_000_000.0) == (1e9, "B")


def test_the_totals_strip_names_only_the_findings_there_are():
    from desktop.totals_strip import findings_text

    assert [findings_text(0, 350), findings_text(2, 1), findings_text(1, 0), findings_text(0, 0),
            findings_text(0, 4375)] == ["⚠ 350 warnings", "⚠ 2 errors, 1 warning", "⚠ 1 error", "No findings",
                                         "⚠ 4,375 warnings"]
