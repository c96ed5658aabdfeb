// Covering personal information on a proof-of-payment screenshot, in the browser.
// The member draws black boxes over names, emails and account numbers; on submit the covered
// picture (drawn again from the pixels, so without the file's hidden data) replaces the chosen
// file, and only those pixels leave the browser. Without this script the form still works: the
// page asks the member to cover things with an image editor first.
(function () {
  "use strict";

  var root = document.getElementById("redactor");
  var form = document.getElementById("proof-form");
  var canvas = document.getElementById("redact-canvas");
  var input = form && form.querySelector("input[type=file]");
  if (!root || !form || !canvas || !input || !canvas.getContext || !canvas.toBlob) return;
  try {
    // The covered picture can only be sent if the file input accepts a file made here.
    var probe = new DataTransfer();
    probe.items.add(new File(["x"], "x.txt", { type: "text/plain" }));
  } catch (error) {
    return;
  }

  var status = document.getElementById("redact-status");
  var undoButton = document.getElementById("redact-undo");
  var clearButton = document.getElementById("redact-clear");
  var maxBytes = parseInt(root.getAttribute("data-max-bytes"), 10) || 8 * 1024 * 1024;
  var maxSide = parseInt(root.getAttribute("data-max-side"), 10) || 2560;
  var state = { image: null, url: null, boxes: [], drag: null, cursor: null, ready: false, busy: false };
  var pending = false;

  document.querySelectorAll(".without-script").forEach(function (element) {
    element.hidden = true;
  });

  function message(name) {
    return root.getAttribute("data-msg-" + name) || "";
  }

  function say(text) {
    status.textContent = text;
  }

  function sayCount() {
    say(state.boxes.length ? message("count").replace("{n}", String(state.boxes.length)) : message("none"));
  }

  function clamp(value, low, high) {
    return Math.min(Math.max(value, low), Math.max(low, high));
  }

  function draw(target, withGuides) {
    var context = target.getContext("2d");
    context.drawImage(state.image, 0, 0, target.width, target.height);
    context.fillStyle = "#000";
    state.boxes.forEach(function (box) {
      context.fillRect(box.x, box.y, box.w, box.h);
    });
    if (!withGuides) return;
    var line = Math.max(2, Math.round(Math.max(target.width, target.height) / 300));
    if (state.drag) {
      var dragged = normalise(state.drag);
      context.fillStyle = "rgba(0, 0, 0, 0.65)";
      context.fillRect(dragged.x, dragged.y, dragged.w, dragged.h);
    }
    if (state.cursor && document.activeElement === canvas) {
      var c = state.cursor;
      context.lineWidth = line;
      context.setLineDash([line * 3, line * 2]);
      context.strokeStyle = "#ffd400";
      context.strokeRect(c.x, c.y, c.w, c.h);
      context.lineDashOffset = line * 3;
      context.strokeStyle = "#000";
      context.strokeRect(c.x, c.y, c.w, c.h);
      context.setLineDash([]);
      context.lineDashOffset = 0;
    }
  }

  function redraw() {
    if (!state.image || pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      if (state.image) draw(canvas, true);
    });
  }

  function reset() {
    if (state.url) URL.revokeObjectURL(state.url);
    state.image = null;
    state.url = null;
    state.boxes = [];
    state.drag = null;
    state.cursor = null;
    state.ready = false;
  }

  function load(file) {
    reset();
    root.hidden = true;
    if (!file) return;
    var url = URL.createObjectURL(file);
    var image = new Image();
    image.onload = function () {
      var scale = Math.min(1, maxSide / Math.max(image.naturalWidth, image.naturalHeight));
      canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
      canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
      state.image = image;
      state.url = url;
      state.cursor = {
        x: Math.round(canvas.width * 0.3),
        y: Math.round(canvas.height * 0.45),
        w: Math.max(8, Math.round(canvas.width * 0.4)),
        h: Math.max(8, Math.round(canvas.height * 0.06))
      };
      canvas.hidden = false;
      root.hidden = false;
      redraw();
      sayCount();
    };
    image.onerror = function () {
      URL.revokeObjectURL(url);
      canvas.hidden = true;
      root.hidden = false;
      say(message("unreadable"));
    };
    image.src = url;
  }

  function normalise(drag) {
    var x = clamp(Math.min(drag.x0, drag.x1), 0, canvas.width);
    var y = clamp(Math.min(drag.y0, drag.y1), 0, canvas.height);
    var right = clamp(Math.max(drag.x0, drag.x1), 0, canvas.width);
    var bottom = clamp(Math.max(drag.y0, drag.y1), 0, canvas.height);
    return { x: x, y: y, w: right - x, h: bottom - y };
  }

  function addBox(box) {
    state.boxes.push({
      x: Math.floor(box.x),
      y: Math.floor(box.y),
      w: Math.ceil(box.w),
      h: Math.ceil(box.h)
    });
    state.ready = false;
    redraw();
    sayCount();
  }

  function undo() {
    state.boxes.pop();
    state.ready = false;
    redraw();
    sayCount();
  }

  function clearBoxes() {
    state.boxes = [];
    state.ready = false;
    redraw();
    sayCount();
  }

  function pointAt(event) {
    var rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * canvas.height) / rect.height
    };
  }

  canvas.addEventListener("pointerdown", function (event) {
    if (!state.image || event.button > 0) return;
    event.preventDefault();
    try {
      canvas.setPointerCapture(event.pointerId);
    } catch (error) {
      // Without capture, a drag that leaves the picture simply ends there.
    }
    var point = pointAt(event);
    state.drag = { x0: point.x, y0: point.y, x1: point.x, y1: point.y };
    redraw();
  });

  canvas.addEventListener("pointermove", function (event) {
    if (!state.drag) return;
    var point = pointAt(event);
    state.drag.x1 = point.x;
    state.drag.y1 = point.y;
    redraw();
  });

  canvas.addEventListener("pointerup", function () {
    if (!state.drag) return;
    var box = normalise(state.drag);
    state.drag = null;
    if (box.w >= 3 && box.h >= 3) {
      addBox(box);
    } else {
      redraw();
    }
  });

  canvas.addEventListener("pointercancel", function () {
    state.drag = null;
    redraw();
  });

  // Keyboard: arrows move the dashed box, Shift + arrows resize it, Enter or Space covers it.
  canvas.addEventListener("keydown", function (event) {
    if (!state.image || !state.cursor) return;
    var cursor = state.cursor;
    var step = Math.max(2, Math.round(Math.max(canvas.width, canvas.height) / 100));
    var dx = 0;
    var dy = 0;
    switch (event.key) {
      case "ArrowLeft": dx = -step; break;
      case "ArrowRight": dx = step; break;
      case "ArrowUp": dy = -step; break;
      case "ArrowDown": dy = step; break;
      case "Enter":
      case " ":
        event.preventDefault();
        addBox(cursor);
        return;
      case "Backspace":
      case "Delete":
        event.preventDefault();
        undo();
        return;
      default:
        return;
    }
    event.preventDefault();
    if (event.shiftKey) {
      cursor.w = clamp(cursor.w + dx, 4, canvas.width - cursor.x);
      cursor.h = clamp(cursor.h + dy, 4, canvas.height - cursor.y);
    } else {
      cursor.x = clamp(cursor.x + dx, 0, canvas.width - cursor.w);
      cursor.y = clamp(cursor.y + dy, 0, canvas.height - cursor.h);
    }
    redraw();
  });
  canvas.addEventListener("focus", redraw);
  canvas.addEventListener("blur", redraw);

  undoButton.addEventListener("click", undo);
  clearButton.addEventListener("click", clearBoxes);

  input.addEventListener("change", function () {
    load(input.files && input.files[0]);
  });
  if (input.files && input.files[0]) load(input.files[0]);

  // WebP where the browser can write it, else PNG, else JPEG when PNG is too large.
  function encode(source, done) {
    source.toBlob(function (webp) {
      if (webp && webp.type === "image/webp") return done(webp);
      source.toBlob(function (png) {
        if (png && png.size <= maxBytes) return done(png);
        source.toBlob(done, "image/jpeg", 0.92);
      }, "image/png");
    }, "image/webp", 0.92);
  }

  form.addEventListener("submit", function (event) {
    if (!state.image || state.ready) return;
    // Hold the submission until the covered picture has replaced the chosen file.
    event.preventDefault();
    event.stopPropagation();
    if (state.busy) return;
    state.busy = true;
    say(message("preparing"));
    var output = document.createElement("canvas");
    output.width = canvas.width;
    output.height = canvas.height;
    draw(output, false);
    encode(output, function (blob) {
      state.busy = false;
      if (!blob) return say(message("failed"));
      if (blob.size > maxBytes) return say(message("too-large"));
      var extension = { "image/webp": "webp", "image/png": "png", "image/jpeg": "jpg" }[blob.type] || "png";
      var covered = new File([blob], "screenshot." + extension, { type: blob.type });
      var transfer = new DataTransfer();
      transfer.items.add(covered);
      input.files = transfer.files;
      if (!input.files || input.files.length !== 1 || input.files[0].size !== blob.size) {
        // Never send the uncovered original in place of the covered picture.
        return say(message("failed"));
      }
      state.ready = true;
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
