// The General Assembly's pages: the door desk reads a pass's QR with the camera where the browser can
// (BarcodeDetector; nothing is loaded from elsewhere), else says so and the desk types the code; the pass prints.
(() => {
  const scanner = document.querySelector("[data-door-scanner]");
  if (scanner) {
    const form = document.getElementById(scanner.dataset.form);
    const field = form.querySelector("input[name=token]");
    const missing = document.getElementById(scanner.dataset.missing);
    const start = scanner.querySelector("[data-start]");
    const video = scanner.querySelector("video");
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      missing.hidden = false;
    } else {
      scanner.hidden = false;
      let last = "";
      let lastAt = 0;
      start.addEventListener("click", async () => {
        let detector;
        try {
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
          await video.play();
        } catch (error) {
          missing.hidden = false;
          return;
        }
        start.hidden = true;
        const look = async () => {
          try {
            const codes = await detector.detect(video);
            const value = codes.length ? codes[0].rawValue : "";
            const now = Date.now();
            // The same pass held in front of the camera is sent once every few seconds, not at every frame.
            if (value && (value !== last || now - lastAt > 4000)) {
              last = value;
              lastAt = now;
              field.value = value;
              form.requestSubmit();
            }
          } catch (error) {
            // A frame the detector could not read: try the next one.
          }
          window.setTimeout(look, 200);
        };
        look();
      });
    }
  }
  // A code typed and sent is cleared for the next member.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-reset-after")) form.reset();
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
})();
