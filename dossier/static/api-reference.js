/* Starts Swagger UI (vendored from npm swagger-ui-dist, Apache-2.0) on the API's OpenAPI
 * document; a file of its own because the CSP allows no inline script. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    validatorUrl: null
  });
})();
