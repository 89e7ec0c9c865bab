// Sightline web interface: keyboard shortcuts on the review screen. No libraries, no build step.
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function press(form, decision) {
    var button = form.querySelector('button[name="decision"][value="' + decision + '"]');
    if (button) { form.requestSubmit(button); }
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.assign(link.href); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var form = document.getElementById("decide");
    if (!document.getElementById("fact")) { return; }
    if (typing(event.target)) {
      // Enter in the value or note field corrects; Escape leaves the field for the shortcuts.
      if (event.key === "Escape") { event.target.blur(); event.preventDefault(); }
      else if (event.key === "Enter" && form && event.target.form === form && event.target.tagName.toLowerCase() !== "select") {
        event.preventDefault();
        press(form, "correct");
      }
      return;
    }
    var key = event.key.toLowerCase();
    if (form && key === "c") { event.preventDefault(); press(form, "confirm"); }
    else if (form && key === "r") { event.preventDefault(); press(form, "reject"); }
    else if (form && key === "x") {
      event.preventDefault();
      var value = document.getElementById("value");
      if (value) { value.focus(); if (value.select) { value.select(); } }
    }
    else if (key === "n" || key === "j") { follow("next"); }
    else if (key === "p" || key === "k") { follow("prev"); }
  });

  // Scroll the first highlighted quote into view beside the fact.
  document.addEventListener("DOMContentLoaded", function () {
    var mark = document.querySelector(".document mark");
    if (mark && mark.scrollIntoView) { mark.scrollIntoView({block: "center"}); }
  });
})();

// The reply review screen: a changed value makes its fact a correction, the fact being edited
// has its quotes lit in the text, and key "a" records every decision of the reply at once.
(function () {
  "use strict";

  function each(selector, root, action) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), action);
  }

  function choose(box, decision) {
    var radio = box.querySelector('input[type="radio"][value="' + decision + '"]');
    if (radio) { radio.checked = true; }
  }

  function light(factId, on) {
    each("mark[data-facts]", null, function (mark) {
      if ((" " + mark.getAttribute("data-facts") + " ").indexOf(" " + factId + " ") >= 0) {
        mark.classList.toggle("lit", on);
        if (on && mark.scrollIntoView) { mark.scrollIntoView({block: "nearest"}); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("reply-form");
    if (!form) { return; }
    each(".reply-fact .decision", form, function (box) {
      var proposed = box.getAttribute("data-proposed") || "";
      var value = box.querySelector(".fact-value");
      if (!value) { return; }
      var changed = function () {
        var now = value.value.trim();
        var current = box.querySelector('input[type="radio"]:checked');
        var decision = current ? current.value : "confirm";
        if (now !== proposed.trim() && decision === "confirm") { choose(box, "correct"); }
        else if (now === proposed.trim() && decision === "correct") { choose(box, "confirm"); }
      };
      value.addEventListener("input", changed);
      value.addEventListener("change", changed);
    });
    each(".reply-fact", form, function (item) {
      var id = item.getAttribute("data-fact");
      item.addEventListener("focusin", function () { light(id, true); });
      item.addEventListener("focusout", function () { light(id, false); });
      item.addEventListener("mouseenter", function () { light(id, true); });
      item.addEventListener("mouseleave", function () { light(id, false); });
    });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var tag = event.target && event.target.tagName ? event.target.tagName.toLowerCase() : "";
      if (tag === "input" || tag === "textarea" || tag === "select") {
        if (event.key === "Escape") { event.target.blur(); event.preventDefault(); }
        return;
      }
      if (event.key.toLowerCase() === "a") {
        event.preventDefault();
        form.requestSubmit(document.getElementById("decide-reply"));
      }
    });
  });
})();
