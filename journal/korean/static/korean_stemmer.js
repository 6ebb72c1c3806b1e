/*
 * Korean stemmer for Sphinx's searchtools.js: the same rules as journal/korean/stemmer.py,
 * so a query meets the words in the search index. SUFFIXES and MIN_STEM are filled in
 * from the Python module when the site is built; EnglishStemmer is Sphinx's snowball
 * stemmer, loaded just before this file.
 */
var KoreanStemmer = function () {
  const SUFFIXES = /*@SUFFIXES@*/ [];
  const MIN_STEM = /*@MIN_STEM@*/ 2;
  const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;
  const english = new EnglishStemmer();
  const length = (text) => Array.from(text).length;

  const stemKorean = (word) => {
    for (const suffix of SUFFIXES) {
      if (length(word) - length(suffix) >= MIN_STEM && word.endsWith(suffix)) {
        return word.slice(0, word.length - suffix.length);
      }
    }
    return word;
  };

  this.stemWord = function (w) {
    let word = w.normalize("NFC");
    if (HANGUL.test(word)) word = stemKorean(word);
    if (HANGUL.test(word)) return word.toLowerCase();
    return english.stemWord(word.toLowerCase());
  };
};
