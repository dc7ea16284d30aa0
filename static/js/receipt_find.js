// The published results: a member types their receipt code and the list keeps only the ballots that match.
// Filtered here, in the phone, so the code they look for is never sent to the server.
document.querySelectorAll("[data-receipt-find]").forEach((input) => {
  const list = document.getElementById(input.dataset.receiptFind);
  input.addEventListener("input", () => {
    const wanted = input.value.trim().toUpperCase();
    list.querySelectorAll("[data-receipt]").forEach((row) => {
      row.hidden = wanted !== "" && !row.dataset.receipt.includes(wanted);
    });
  });
});
