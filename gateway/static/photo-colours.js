// Paints each photo's average colour behind it while it loads. The colour travels in a
// data attribute: the Content-Security-Policy allows no inline style attribute, while a
// style set from a script of our own origin is allowed.
(function () {
  "use strict";
  var photos = document.querySelectorAll("img[data-colour]");
  for (var i = 0; i < photos.length; i++) {
    var colour = photos[i].getAttribute("data-colour");
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) photos[i].style.backgroundColor = colour;
  }
})();
