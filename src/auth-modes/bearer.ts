/** RFC 6750 §2.1: a copy of the request carrying `Authorization: Bearer <token>` (OAuth 2, client credentials, App tokens). */
export async function withBearer(request: Request, token: string): Promise<Request> {
	const authorized = new Request(request);
	authorized.headers.set("Authorization", `Bearer ${token}`);
	return authorized;
}
