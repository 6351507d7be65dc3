"""Money axes of the charts keep short labels: thousands, then millions, then billions."""

from desktop.display import axis_label_format, axis_scale


def test_a_chart_peaking_in_the_hundreds_of_millions_is_labelled_in_millions():
    divisor, unit = axis_scale(200_000_000.0)
    assert (divisor, unit) == (1e6, "M")
    assert axis_label_format("USD", unit) % (300_000_000 / divisor) == "$300M"


def test_a_chart_under_a_million_stays_in_thousands_and_billions_go_to_billions():
    assert axis_scale(950_000.0) == (1e3, "k")
    assert axis_scale(4_200_000_000.0) == (1e9, "B")
