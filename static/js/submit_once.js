// Disable a form's submit button once it is sent, so a double click sends one request (the server checks too).
document.querySelectorAll("form").forEach((form) => {
  const button = form.querySelector("[data-submit-once]");
  if (!button) return;
  form.addEventListener("submit", () => {
    setTimeout(() => { button.disabled = true; button.setAttribute("aria-disabled", "true"); }, 0);
  });
});
