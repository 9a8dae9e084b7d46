// Starts Swagger UI on /api/docs from a file, so the page needs no inline script.
// swagger-ui-bundle.js, a classic script, has defined SwaggerUIBundle before modules run.
const container = document.getElementById("swagger-ui");
window.SwaggerUIBundle({ url: container.dataset.specUrl, dom_id: "#swagger-ui" });
