/* The app's only script (the CSP allows no other): behaviour declared by data attributes.
 *
 * data-confirm="…"  on a form or a submit button: ask before submitting; "Cancel" sends nothing.
 *                   The text is an ordinary HTML attribute, escaped by Jinja like any other,
 *                   so a name with an apostrophe or a tag in it is just text.
 * data-autosubmit   on a select (or any field): submit its form when the value changes.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.hasAttribute || !field.hasAttribute("data-autosubmit") || !field.form) {
      return;
    }
    if (field.form.requestSubmit) {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  });
})();
