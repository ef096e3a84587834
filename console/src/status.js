// The page's status line: one message at a time, announced to screen readers (role=status).
export function status(text, isError = false) {
  const el = document.getElementById("status");
  el.textContent = text;
  el.classList.toggle("error", isError);
}
