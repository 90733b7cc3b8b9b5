# Run against the installed wheel: `pytest tests` after `pip install` of a wheel from
# result/, and by the GitHub workflow's smoke jobs.
import pytest

import my_extension


def test_top_words():
    assert my_extension.top_words("the cat and the hat", 1) == [("the", 2)]


def test_mean():
    assert my_extension.mean([1.0, 2.0, 3.0]) == 2.0
    with pytest.raises(ValueError):
        my_extension.mean([])
