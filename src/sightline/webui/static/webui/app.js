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
