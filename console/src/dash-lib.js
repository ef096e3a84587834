// dash.js as a bundle of its own (about 800 KB, more than the rest of the console together),
// loaded only when DASH playback is chosen: it hands the library to the page's player.
import * as dashjs from "dashjs";

window.framekeepDashjs = dashjs;
