"""Stacked monthly column charts (DrawingML), written by hand.

A chart part is ~60 lines of XML; writing it directly keeps the writer streaming and lets
each series carry its cached values, so a viewer that never recalculates still draws it.
(openpyxl could draw the chart, but only inside its own workbook, whose parts would then
have to be spliced into ours with renumbered relationships: more code, more to go wrong.)
"""

from __future__ import annotations

from pricing.files.workbook.cells import xml_escape

NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
MAX_SERIES = 40
#: Each series' fill, written out: LibreOffice draws a series without one as no bar at all
#: (axes and legend, empty plot), Excel takes its theme colours either way.
PALETTE = ("4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47", "264478", "9E480E", "636363", "997300",
           "255E91", "43682B")


def _num_cache(values: list[float], fmt: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>' for i, v in enumerate(values))
    return f"<c:numCache><c:formatCode>{xml_escape(fmt)}</c:formatCode><c:ptCount val=\"{len(values)}\"/>{pts}</c:numCache>"


def stacked_chart(title: str, category_ref: str, categories: list[float],
                  series: list[tuple[str, str, str, list[float]]], money_format: str = '"$"#,##0') -> bytes:
    """``series``: (name ref, name, values ref, values) per stacked series."""
    sers = []
    for i, (name_ref, name, values_ref, values) in enumerate(series[:MAX_SERIES]):
        sers.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
            f'<c:tx><c:strRef><c:f>{xml_escape(name_ref)}</c:f><c:strCache><c:ptCount val="1"/>'
            f'<c:pt idx="0"><c:v>{xml_escape(name)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
            f'<c:spPr><a:solidFill><a:srgbClr val="{PALETTE[i % len(PALETTE)]}"/></a:solidFill></c:spPr>'
            '<c:invertIfNegative val="0"/>'
            f'<c:cat><c:numRef><c:f>{xml_escape(category_ref)}</c:f>{_num_cache(categories, "mmm yyyy")}</c:numRef></c:cat>'
            f'<c:val><c:numRef><c:f>{xml_escape(values_ref)}</c:f>{_num_cache(values, "General")}</c:numRef></c:val>'
            "</c:ser>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_R}"><c:roundedCorners val="0"/><c:chart>'
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{xml_escape(title)}</a:t></a:r></a:p></c:rich></c:tx>'
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="col"/><c:grouping val="stacked"/><c:varyColors val="0"/>'
        + "".join(sers)
        + '<c:gapWidth val="50"/><c:overlap val="100"/><c:axId val="5001"/><c:axId val="5002"/></c:barChart>'
        '<c:catAx><c:axId val="5001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="b"/><c:numFmt formatCode="mmm yyyy" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="5002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="5002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="' + xml_escape(money_format)
        + '" sourceLinked="0"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="5001"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx></c:plotArea>'
        '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
        '<c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode("utf-8")


def drawing(anchors: list[tuple[int, int, int, int]]) -> bytes:
    """One graphic frame per chart, anchored (first col, first row, last col, last row), zero-based."""
    frames = []
    for i, (c0, r0, c1, r1) in enumerate(anchors, start=1):
        frames.append(
            f"<xdr:twoCellAnchor><xdr:from><xdr:col>{c0}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r0}</xdr:row>"
            f"<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{c1}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{r1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{i + 1}" name="Chart {i}"/>'
            "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/>"
            f'</xdr:xfrm><a:graphic><a:graphicData uri="{NS_C}"><c:chart xmlns:c="{NS_C}" xmlns:r="{NS_R}" '
            f'r:id="rId{i}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}">{"".join(frames)}</xdr:wsDr>'
    ).encode("utf-8")
