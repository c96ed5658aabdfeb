// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.classList.contains("confirm") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  // One click, one submission: the server also refuses duplicates, this only spares a round trip.
  if (form.method.toLowerCase() === "post") {
    var buttons = form.querySelectorAll("button[type=submit]");
    window.setTimeout(function () {
      buttons.forEach(function (button) { button.disabled = true; });
    }, 0);
  }
});
