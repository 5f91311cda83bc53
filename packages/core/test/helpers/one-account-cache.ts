/** An MSAL cache holding one signed-in account and no tokens: the smallest valid stored value. */
export const ONE_ACCOUNT_CACHE = JSON.stringify({
	Account: {
		"oid.tid-login.idp.test-tid": {
			home_account_id: "oid.tid",
			environment: "login.idp.test",
			realm: "tid",
			local_account_id: "oid",
			username: "adele@contoso.test",
			authority_type: "MSSTS",
		},
	},
	AccessToken: {},
	RefreshToken: {},
	IdToken: {},
	AppMetadata: {},
});
