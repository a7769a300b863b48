/* The app's only script (the CSP allows no other): behaviour declared by data attributes.
 *
 * data-confirm="…"  on a form or a submit button: ask before submitting; "Cancel" sends nothing.
 *                   The text is an ordinary HTML attribute, escaped by Jinja like any other,
 *                   so a name with an apostrophe or a tag in it is just text.
 * data-autosubmit   on a select (or any field): submit its form when the value changes.
 * data-datepicker   on a text input: dd/mm/yyyy with the Vietnamese calendar picker
 *                   (vendor/vanillajs-datepicker), whatever the browser's language. The server
 *                   parses and checks what is typed; the picker never turns 31/02 into 03/03.
 * .file-picker      a file input with a Vietnamese label ("Chọn tệp"): shows the chosen name.
 * [data-section]    on <main>: where the flashed messages belong when the page was re-drawn
 *                   after a refusal; otherwise the URL's #section after a redirect. The
 *                   messages move into that section, under its heading, and into view.
 * .table-responsive a table that scrolls sideways on a phone gets keyboard focus (tabindex).
 * data-ballot       a ballot form: "Đồng ý tất cả", the count of what is left, progress.
 * Every form:       once sent, its submit buttons are disabled and say "Đang xử lý…", so a
 *                   long act cannot be sent twice (after data-confirm's OK, never before).
 */
(function () {
  "use strict";

  var BUSY_TEXT = "Đang xử lý…";

  function setBusy(form, button) {
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    Array.prototype.forEach.call(buttons, function (b) {
      b.disabled = true;
      b.setAttribute("aria-disabled", "true");
    });
    if (button && button.tagName === "BUTTON") {
      button.setAttribute("data-label", button.textContent);
      button.textContent = BUSY_TEXT;
      button.classList.add("is-busy");
    }
    form.setAttribute("aria-busy", "true");
  }

  function clearBusy(form) {
    // Back from the page cache (history.back()): the buttons work again.
    Array.prototype.forEach.call(form.querySelectorAll("[aria-disabled=true]"), function (b) {
      b.disabled = false;
      b.removeAttribute("aria-disabled");
      if (b.hasAttribute("data-label")) {
        b.textContent = b.getAttribute("data-label");
        b.removeAttribute("data-label");
        b.classList.remove("is-busy");
      }
    });
    form.removeAttribute("aria-busy");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();  // a second click while the first is on its way
      event.stopImmediatePropagation();
    }
  }, true);

  // Bubbling phase: runs only for a submission nobody cancelled. Downloads (target, or a GET
  // that answers a file) keep their buttons: the page stays and no "load" would reset them.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post" || form.target) {
      return;
    }
    var button = event.submitter;
    // The submitter's name/value must still be sent: disable after the browser read the form.
    window.setTimeout(function () { setBusy(form, button); }, 0);
  });

  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[aria-busy=true]"), clearBusy);
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.classList && field.classList.contains("file-picker-input")) {
      showFileName(field);
    }
    if (!field.hasAttribute || !field.hasAttribute("data-autosubmit") || !field.form) {
      return;
    }
    if (field.form.requestSubmit) {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  });

  function showFileName(input) {
    var target = document.getElementById(input.id + "-name");
    if (!target) {
      return;
    }
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    target.textContent = names.length ? names.join(", ") : "Chưa chọn tệp";
    target.classList.toggle("text-muted", !names.length);
  }

  /* Dates: dd/mm/yyyy, strictly. A date the calendar does not have stays as typed (the
   * server says why); the picker only reads what is a real date. */
  function parseVnDate(text) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(text || "");
    var iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text || "");
    var d, mo, y;
    if (m) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else if (iso) { y = +iso[1]; mo = +iso[2]; d = +iso[3]; }
    else { return NaN; }
    var date = new Date(y, mo - 1, d);
    if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) {
      return NaN;
    }
    return date;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function initDatepickers() {
    if (!window.Datepicker) {
      return;
    }
    var format = {
      toValue: function (text) { return parseVnDate(text); },
      toDisplay: function (date) {
        return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear();
      }
    };
    Array.prototype.forEach.call(document.querySelectorAll("input[data-datepicker]"), function (input) {
      var typed = input.value;  // the picker empties a value it cannot read: keep what was typed
      new window.Datepicker(input, {
        language: "vi",
        format: format,
        weekStart: 1,
        autohide: true,
        todayButton: true,
        todayButtonMode: 1,
        todayHighlight: true,
        clearButton: !input.required,
        showOnFocus: false,
        showOnClick: true,
        updateOnBlur: true,
        buttonClass: "btn",
        prevArrow: "‹",
        nextArrow: "›"
      });
      if (input.value !== typed) {
        input.value = typed;
      }
    });
  }

  /* Messages: beside the section the user acted on, and in view. */
  function placeMessages() {
    var box = document.getElementById("flash-messages");
    if (!box || !box.children.length) {
      return;
    }
    var main = document.querySelector("main");
    var id = (main && main.getAttribute("data-section")) || decodeURIComponent(location.hash.slice(1));
    var section = id ? document.getElementById(id) : null;
    var target = box;
    if (section && !section.contains(box)) {
      var closed = section.closest("details");  // a folded form the message is about: open it
      if (closed) {
        closed.open = true;
      }
      var heading = section.querySelector("h1, h2, h3, h4");
      var holder = document.createElement("div");
      holder.className = "section-messages";
      holder.setAttribute("data-testid", "section-messages");
      while (box.firstChild) {
        holder.appendChild(box.firstChild);
      }
      if (heading && heading.parentNode) {
        heading.parentNode.insertBefore(holder, heading.nextSibling);
      } else {
        section.insertBefore(holder, section.firstChild);
      }
      target = holder;
    }
    var first = target.querySelector(".alert");
    if (first) {
      if (!first.hasAttribute("tabindex")) {
        first.setAttribute("tabindex", "-1");
      }
      var rect = first.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) {
        first.scrollIntoView({ block: "center", behavior: "instant" });
      }
      first.focus({ preventScroll: true });
    }
  }

  /* The ballot: "Đồng ý tất cả", then exceptions; what is left to choose, live. */
  function initBallots() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-ballot]"), function (form) {
      var cards = form.querySelectorAll("[data-ballot-item]");
      var left = form.querySelector("[data-ballot-left]");
      var all = form.querySelector("[data-ballot-all]");
      function update() {
        var n = 0;
        Array.prototype.forEach.call(cards, function (card) {
          var chosen = card.querySelector("input[type=radio]:checked");
          card.classList.toggle("is-chosen", !!chosen);
          if (!chosen) { n += 1; }
          var reason = card.querySelector("[data-reason]");
          if (reason) {
            reason.hidden = !(chosen && chosen.value === "recuse");
          }
        });
        if (left) {
          left.textContent = n ? "Còn " + n + " người chưa chọn" : "Đã chọn đủ, có thể gửi phiếu";
          left.classList.toggle("text-success", !n);
        }
      }
      if (all) {
        all.addEventListener("click", function () {
          Array.prototype.forEach.call(cards, function (card) {
            var agree = card.querySelector("input[type=radio][value=agree]");
            if (agree && !card.querySelector("input[type=radio]:checked")) {
              agree.checked = true;
            }
          });
          update();
        });
      }
      form.addEventListener("change", update);
      update();
    });
  }

  /* A table wider than the phone scrolls sideways: reachable by keyboard too (WCAG 2.1.1). */
  function markScrollers() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-responsive"), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) {
          box.setAttribute("aria-label", "Bảng, cuộn ngang để xem hết");
        }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }

  function start() {
    markScrollers();
    window.addEventListener("resize", markScrollers);
    initDatepickers();
    initBallots();
    placeMessages();
    Array.prototype.forEach.call(document.querySelectorAll(".file-picker-input"), showFileName);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
