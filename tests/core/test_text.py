from dxtalent.core.text import kana_key, normalize, search_key


def test_normalize_full_width_and_spaces():
    assert normalize("　１２３４５　") == "12345"
    assert normalize("札幌\u3000太郎") == "札幌 太郎"


def test_kana_key_folds_hiragana_and_half_width():
    assert kana_key("さとう はなこ") == "サトウハナコ"
    assert kana_key("ｻﾄｳ ﾊﾅｺ") == "サトウハナコ"
    assert search_key("012345", "佐藤 花子", "サトウ ハナコ") == "012345佐藤花子サトウハナコ"
