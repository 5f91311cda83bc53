import { describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { chooseSignInMethod } from "../src/sign-in-method.js";

const none = { deviceCode: false, browser: false, noBrowser: false };
const desktop = { DISPLAY: ":0" };

describe("the sign-in method login picks", () => {
	it("uses the browser on a local desktop and the device code over SSH, in CI or without a display", () => {
		expect(chooseSignInMethod(none, desktop, "linux")).toBe("loopback");
		expect(chooseSignInMethod(none, { WAYLAND_DISPLAY: "wayland-0" }, "linux")).toBe("loopback");
		expect(chooseSignInMethod(none, {}, "darwin")).toBe("loopback");
		expect(chooseSignInMethod(none, {}, "win32")).toBe("loopback");
		expect(chooseSignInMethod(none, {}, "linux")).toBe("deviceCode");
		expect(chooseSignInMethod(none, { ...desktop, SSH_CONNECTION: "a 1 b 22" }, "linux")).toBe("deviceCode");
		expect(chooseSignInMethod(none, { SSH_TTY: "/dev/pts/1" }, "darwin")).toBe("deviceCode");
		expect(chooseSignInMethod(none, { CI: "true" }, "win32")).toBe("deviceCode");
	});

	it("follows --device-code, --browser and --no-browser, and refuses contradictions", () => {
		expect(chooseSignInMethod({ ...none, deviceCode: true }, desktop, "linux")).toBe("deviceCode");
		expect(chooseSignInMethod({ ...none, browser: true }, { CI: "1" }, "linux")).toBe("loopback");
		expect(chooseSignInMethod({ ...none, noBrowser: true }, {}, "linux")).toBe("loopback");
		expect(() => chooseSignInMethod({ ...none, deviceCode: true, browser: true }, {}, "linux")).toThrow(
			UsageError,
		);
		expect(() => chooseSignInMethod({ ...none, browser: true, noBrowser: true }, {}, "linux")).toThrow(
			UsageError,
		);
	});
});
