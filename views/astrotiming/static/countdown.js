// Counts down to the end of the current planetary hour, then reloads the page for the next one.
// A file of its own (not inline) so the page's Content-Security-Policy (script-src 'self') runs it.
(function () {
	var el = document.getElementById("countdown");
	if (!el) return;
	var end = +el.dataset.end;
	function tick() {
		var s = Math.max(0, Math.round(end - Date.now() / 1000));
		if (s === 0) { location.reload(); return; }
		var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), x = s % 60;
		el.textContent = (h ? h + "h" : "") + m + "m" + (x < 10 ? "0" : "") + x + "s";
		setTimeout(tick, 1000);
	}
	tick();
})();
