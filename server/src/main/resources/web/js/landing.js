// The landing page: pick or generate a room name, then go to /r/<name>.
const form = document.getElementById('join');
const input = document.getElementById('room');

function randomName() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return 'room-' + Array.from(bytes, b => (b % 36).toString(36)).join('');
}

document.getElementById('random').addEventListener('click', () => {
  input.value = randomName();
  input.focus();
});

form.addEventListener('submit', event => {
  event.preventDefault();
  if (input.reportValidity()) location.href = '/r/' + encodeURIComponent(input.value);
});
