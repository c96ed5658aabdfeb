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

// Followed threads: tell the server which posts were read, without a click (a GET never writes).
document.querySelectorAll("form[data-auto-read]").forEach(function (form) {
  var data = new FormData(form);
  data.append("silent", "1");
  window.fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).then(function (response) {
    if (response.ok) { form.hidden = true; }
  });
});
