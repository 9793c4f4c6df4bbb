import pytest

from pipeline.normalize import fold


@pytest.mark.parametrize("text, folded", [
    ("１２萬元", "12万元"),
    ("雙擁工作", "双拥工作"),
    ("增长５．５％", "增长5.5%"),
    ("1，200", "1，200"),  # the Chinese comma separates list items: kept
    ("（一）", "(一)"),
    ("　首行", " 首行"),
    ("两万三千人", "两万三千人"),
])
def test_fold_maps_one_character_for_one(text, folded):
    assert fold(text) == folded
    assert len(fold(text)) == len(text)
