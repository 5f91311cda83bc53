// A realistic MSAL token-cache document, as msal-node and MSAL Python store it.

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT_ID = "4a1aa1d5-c567-49d0-ad0b-cd957a47f842";
const ENVIRONMENT = "login.microsoftonline.com";
const TARGET = "https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/User.Read";

export interface TestUser {
	username: string;
	uid: string;
}

export const ALICE: TestUser = {
	username: "alice@contoso.onmicrosoft.com",
	uid: "00000000-0000-0000-66f3-3332eca7ea81",
};
export const BOB: TestUser = {
	username: "bob@contoso.onmicrosoft.com",
	uid: "00000000-0000-0000-1f2e-3d4c5b6a7988",
};

/** The refresh token's secret of a user (`generation` makes a new one), to look for in errors. */
export function refreshSecret(user: TestUser, generation = 0): string {
	return `1.ARoAv4j5cvGGr0GRqy180BHbR-refresh-secret-${user.uid}-${generation}`;
}

/** The MSAL home account id: what a web app uses as the backend's key. */
export function homeAccountId(user: TestUser): string {
	return `${user.uid}.${TENANT}`;
}

/** A cache document holding an access and a refresh token for each user. */
export function cacheJson(users: TestUser[], generation = 0): string {
	const now = Math.floor(Date.now() / 1000);
	const document: Record<string, Record<string, Record<string, unknown>>> = {
		Account: {},
		IdToken: {},
		AccessToken: {},
		RefreshToken: {},
		AppMetadata: {},
	};
	for (const user of users) {
		const home = homeAccountId(user);
		document.Account![`${home}-${ENVIRONMENT}-${TENANT}`] = {
			home_account_id: home,
			environment: ENVIRONMENT,
			realm: TENANT,
			local_account_id: user.uid,
			username: user.username,
			authority_type: "MSSTS",
		};
		document.AccessToken![
			`${home}-${ENVIRONMENT}-accesstoken-${CLIENT_ID}-${TENANT}-${TARGET.toLowerCase()}`
		] = {
			credential_type: "AccessToken",
			secret: `eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.at-${user.uid}-${generation}`,
			home_account_id: home,
			environment: ENVIRONMENT,
			client_id: CLIENT_ID,
			target: TARGET,
			realm: TENANT,
			token_type: "Bearer",
			cached_at: String(now),
			expires_on: String(now + 3600),
			extended_expires_on: String(now + 7200),
		};
		document.RefreshToken![`${home}-${ENVIRONMENT}-refreshtoken-${CLIENT_ID}--${TARGET.toLowerCase()}`] = {
			credential_type: "RefreshToken",
			secret: refreshSecret(user, generation),
			home_account_id: home,
			environment: ENVIRONMENT,
			client_id: CLIENT_ID,
			target: TARGET,
		};
	}
	return JSON.stringify(document);
}
