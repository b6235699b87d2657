/** What the gateway tells the console about itself (GET /console/settings.json). */
export interface PageSettings {
  mode: 'development' | 'production' | 'test';
  graphqlPath: string;
  auditExportPath: string;
  devSignIn: { path: string; demoAccounts: Array<{ name: string; role: string }> } | null;
  oidc: { issuer: string; clientId: string; scope: string } | null;
  failoverReason: { required: boolean; maxLength: number };
}

export async function loadPageSettings(): Promise<PageSettings> {
  const response = await fetch('/console/settings.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The gateway did not give the console its settings (HTTP ${response.status})`);
  return (await response.json()) as PageSettings;
}
