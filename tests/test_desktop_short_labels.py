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


def test_a_bridge_of_hundreds_of_millions_is_drawn_in_millions():
    from decimal import Decimal

    from desktop.compare_dialog import bridge_peak, waterfall_bars
    from desktop.display import axis_scale
    from pricing.scenarios.compare import Bridge

    d = Decimal
    bridge = Bridge(base=d("300000000.00"), removed=d("-20000000.00"), volume=d("45000000.00"), mix=d("-5000000.00"),
                    price=d("0"), new=d("10000000.00"), other=d("330000000.00"))
    divisor, unit = axis_scale(bridge_peak(bridge))
    bars = waterfall_bars(bridge, divisor)
    assert (divisor, unit) == (1e6, "M")
    assert [round(lift + height) for _l, lift, height, _c in bars] == [300, 300, 325, 325, 320, 330, 330]


def test_an_axis_whose_ticks_are_halves_labels_them_with_a_decimal(qapp):
    from desktop.panels import money_axis

    divisor, axis = money_axis(1_350_000.0, "USD")
    assert divisor == 1e6 and axis.labelFormat() == "$%.1fM"  # $0.0M, $0.5M, $1.0M, $1.5M: no '$1M' twice
    assert money_axis(300_000_000.0, "USD")[1].labelFormat() == "$%.0fM"
