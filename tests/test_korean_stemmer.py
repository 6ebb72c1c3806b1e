"""The Korean stemmer (pure Python): particles, endings, limits, English words."""

from __future__ import annotations

import unicodedata

import pytest

from journal.korean.stemmer import MIN_STEM, PARTICLES, SUFFIXES, VERB_ENDINGS, stem, stem_korean

NOUN_FORMS = {
    "오픈소스": ["오픈소스는", "오픈소스가", "오픈소스를", "오픈소스의", "오픈소스와", "오픈소스도", "오픈소스만"],
    "인프라": ["인프라를", "인프라는", "인프라에", "인프라에서", "인프라로", "인프라까지", "인프라부터", "인프라처럼"],
    "클라우드": ["클라우드에서는", "클라우드에서도", "클라우드에게", "클라우드로는", "클라우드보다"],
    "설정": ["설정은", "설정이", "설정을", "설정에", "설정으로", "설정과", "설정까지", "설정부터"],
    "패치": ["패치는", "패치를", "패치와", "패치의", "패치에서", "패치로", "패치만"],
    "리뷰어": ["리뷰어가", "리뷰어들이", "리뷰어들은", "리뷰어에게", "리뷰어한테"],
}

VERB_FORMS = {
    "공부": ["공부한다", "공부했다", "공부합니다", "공부했습니다", "공부하는", "공부하고", "공부해서", "공부하면"],
    "배포": ["배포한다", "배포했다", "배포합니다", "배포했습니다", "배포하기", "배포하려면", "배포해야"],
    "설정": ["설정된다", "설정됐다", "설정되었다", "설정됩니다", "설정되는", "설정된"],
    "간단": ["간단한", "간단하게", "간단하지만"],
    "엔지니어": ["엔지니어이다", "엔지니어였다", "엔지니어입니다"],
}


@pytest.mark.parametrize(("noun", "forms"), list(NOUN_FORMS.items()))
def test_particles_are_stripped(noun: str, forms: list[str]):
    assert {form: stem(form) for form in forms} == dict.fromkeys(forms, noun)


@pytest.mark.parametrize(("noun", "forms"), list(VERB_FORMS.items()))
def test_verb_endings_are_stripped(noun: str, forms: list[str]):
    assert {form: stem(form) for form in forms} == dict.fromkeys(forms, noun)


def test_bare_nouns_stay_whole():
    for noun in ("공부", "배포", "설정", "오픈소스", "클라우드", "리뷰", "테스트", "환경설정"):
        assert stem(noun) == noun


@pytest.mark.parametrize("word", ["평가", "결과", "속도", "정도", "회의", "사랑", "역할", "포함", "이해", "함께"])
def test_never_strips_a_word_to_one_syllable(word: str):
    """Two-syllable nouns ending like a particle (가, 과, 도, 의, ...) stay whole."""
    assert stem(word) == word


def test_longest_suffix_wins():
    assert stem_korean("클라우드에서는") == "클라우드"  # not 클라우드에서 (는) nor 클라우드에서(는)
    assert stem_korean("설정했습니다") == "설정"  # not 설정했습니(다)
    assert list(SUFFIXES) == sorted(SUFFIXES, key=lambda s: (-len(s), s))


def test_strips_once():
    assert stem_korean("공부하기를") == "공부하기"  # one suffix per word, by design


def test_every_listed_suffix_is_stripped_after_a_two_syllable_noun():
    for suffix in (*PARTICLES, *VERB_ENDINGS):
        assert stem_korean("자료" + suffix) == "자료", suffix
    assert all(len(stem_korean("자" + suffix)) >= MIN_STEM for suffix in SUFFIXES)


def test_english_words_keep_english_stemming():
    assert stem("testing") == "test"
    assert stem("Reviews") == "review"
    assert stem("DevStack으로") == "devstack"
    assert stem("VM을") == "vm"
    assert stem("tests를") == "test"


def test_decomposed_hangul_is_normalised():
    assert stem(unicodedata.normalize("NFD", "오픈소스는")) == "오픈소스"
