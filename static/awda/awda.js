// Inactivity: the server ends the session after AWDA_SESSION_TIMEOUT_SECONDS without a request.
// Warn one minute before and send the user to the login page when it has expired.
(function () {
  var timeout = (window.AWDA_SESSION_TIMEOUT_SECONDS || 1800) * 1000;
  var warnAt, expireAt;
  function arm() {
    clearTimeout(warnAt); clearTimeout(expireAt);
    warnAt = setTimeout(function () {
      var el = document.getElementById("session-warning");
      if (el) { el.classList.remove("d-none"); }
    }, Math.max(timeout - 60000, 0));
    expireAt = setTimeout(function () { window.location.reload(); }, timeout + 2000);
  }
  document.addEventListener("htmx:afterRequest", arm);
  arm();
})();

// Multi-select dropdowns of checkboxes (e.g. the status filter of the case list): keep the count
// shown on the toggle button in step with the boxes ticked.
document.addEventListener("change", function (event) {
  var menu = event.target.closest && event.target.closest("[data-checkbox-menu]");
  if (!menu) { return; }
  var dropdown = menu.closest(".dropdown");
  var n = menu.querySelectorAll("input[type=checkbox]:checked").length;
  var none = dropdown.querySelector("[data-none-checked]");
  var some = dropdown.querySelector("[data-some-checked]");
  var count = dropdown.querySelector("[data-checked-count]");
  if (none) { none.hidden = n > 0; }
  if (some) { some.hidden = n === 0; }
  if (count) { count.textContent = String(n); }
});
