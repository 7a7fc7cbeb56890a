// Starts Redoc on the API docs page (templates/api/redoc.html) with the response's style
// nonce: Redoc inserts its styles at run time, and the Content-Security-Policy allows only
// styles that carry the nonce.
(function () {
  const container = document.getElementById("redoc-container");
  const nonce = document.querySelector('meta[name="csp-style-nonce"]').content;
  Redoc.init(container.dataset.specUrl, { nonce: nonce }, container);
})();
