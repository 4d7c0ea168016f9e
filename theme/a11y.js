// Book-wide keyboard help, on every page (book.toml, additional-js). mdBook turns ← and → into
// "previous/next chapter" anywhere on the page; in a code block or table that has the focus (the
// build makes them focusable, xtask/src/book_code_blocks.rs) they scroll it instead, as a
// keyboard user who focused it to read a long line expects.
(function () {
  'use strict';
  const main = document.querySelector('main');
  if (!main) return;
  main.addEventListener('keydown', (e) => {
    if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && e.target instanceof Element && e.target.matches('pre > code[tabindex], .table-wrapper[tabindex]')) {
      // The browser's own scrolling still happens; only mdBook's chapter keys are kept out.
      e.stopPropagation();
    }
  });
})();
