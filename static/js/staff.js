// Staff pages: a ready reply chosen from the list is put into the reply box (appended if something is typed).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-canned-target]");
  if (!select) return;
  const option = select.selectedOptions[0];
  const target = document.getElementById(select.dataset.cannedTarget);
  if (!option || !option.dataset.text || !target) return;
  target.value = target.value.trim() ? `${target.value.trim()}\n\n${option.dataset.text}` : option.dataset.text;
  target.focus();
  select.value = "";
});
