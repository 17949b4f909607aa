// The listing page's photos as a gallery: one photo at a time, the thumbnails, the arrow
// keys (when the gallery has focus) and a swipe on touch screens move between them.
// Without this script every photo is shown, one under another.
(function () {
  "use strict";
  var gallery = document.getElementById("gallery");
  if (!gallery) return;
  var slides = gallery.querySelectorAll(".gallery-slide");
  var thumbs = gallery.querySelectorAll(".gallery-thumbs a");
  if (slides.length < 2) return;
  var current = 0;
  gallery.classList.add("gallery-active");

  function show(index) {
    current = (index + slides.length) % slides.length;
    Array.prototype.forEach.call(slides, function (slide, at) {
      slide.hidden = at !== current;
    });
    Array.prototype.forEach.call(thumbs, function (thumb, at) {
      if (at === current) thumb.setAttribute("aria-current", "true");
      else thumb.removeAttribute("aria-current");
    });
    var image = slides[current].querySelector("img");
    if (image) image.loading = "eager";
  }

  function button(label, text, step) {
    var control = document.createElement("button");
    control.type = "button";
    control.className = "gallery-step";
    control.setAttribute("aria-label", label);
    control.textContent = text;
    control.addEventListener("click", function () { show(current + step); });
    return control;
  }
  var slideList = gallery.querySelector(".gallery-slides");
  gallery.insertBefore(button("Previous photo", "‹", -1), slideList);
  gallery.insertBefore(button("Next photo", "›", 1), slideList.nextSibling);

  Array.prototype.forEach.call(thumbs, function (thumb) {
    thumb.addEventListener("click", function (event) {
      event.preventDefault();
      show(Number(thumb.getAttribute("data-index")));
    });
  });
  gallery.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    else if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    else if (event.key === "Home") { show(0); event.preventDefault(); }
    else if (event.key === "End") { show(slides.length - 1); event.preventDefault(); }
  });
  var startX = null;
  slideList.addEventListener("touchstart", function (event) {
    startX = event.touches[0].clientX;
  }, { passive: true });
  slideList.addEventListener("touchend", function (event) {
    if (startX === null) return;
    var moved = event.changedTouches[0].clientX - startX;
    if (Math.abs(moved) > 40) show(current + (moved < 0 ? 1 : -1));
    startX = null;
  });
  show(0);
})();
