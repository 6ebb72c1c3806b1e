/* The book theme's sidebar buttons open the sidebars on phones.
   pydata-sphinx-theme binds its "open the sidebar as a dialog" handler to the first
   .primary-toggle and .secondary-toggle of the page only: the ones of its own header, which the
   book theme hides. The book theme's visible buttons (its article header) therefore did nothing.
   Each other button forwards its click to the bound one. */
(() => {
  const forward = (selector) => {
    const [bound, ...others] = document.querySelectorAll(selector);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  };
  const start = () => {
    forward(".primary-toggle");
    forward(".secondary-toggle");
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
