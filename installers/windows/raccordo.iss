; Raccordo – Inno Setup 6 script: per-machine install in Program Files.
;
; Build (on Windows, after PyInstaller; see docs/guida-amministratore.md):
;   iscc /DAppVersion=0.1.0 /DBundleDir=..\..\dist\raccordo installers\windows\raccordo.iss
;
; Silent install by IT (the site file goes to C:\ProgramData\Raccordo\raccordo.ini):
;   raccordo-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SITECONFIG=\\srv\it\raccordo.ini
;   raccordo-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART ^
;       /SERVER=postgresql://db-raccordo.prefettura.local/raccordo /OFFICE=LO-SUI /LOCK=site.office
; /SITECONFIG copies a ready file; /SERVER, /OFFICE, /INBOX, /TEMPLATES, /UILANG and /LOCK write
; one. Without any of them an existing site file is left as it is.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\raccordo"
#endif

[Setup]
AppId={{6B1C2E0A-5F7D-4C3B-9A51-2D8E4F0B7A11}
AppName=Raccordo
AppVersion={#AppVersion}
AppVerName=Raccordo {#AppVersion}
AppPublisher=Raccordo
DefaultDirName={autopf}\Raccordo
DefaultGroupName=Raccordo
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=raccordo-setup-{#AppVersion}
SetupIconFile=..\icon\raccordo.ico
UninstallDisplayIcon={app}\raccordo-gui.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "it"; MessagesFile: "compiler:Languages\Italian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\raccordo.ini.example"; DestDir: "{app}"; Flags: ignoreversion

[Dirs]
; Everyone reads the site file; only administrators change it (inherited ProgramData ACLs).
Name: "{commonappdata}\Raccordo"

[Icons]
Name: "{group}\Raccordo"; Filename: "{app}\raccordo-gui.exe"; WorkingDir: "{app}"
Name: "{group}\Disinstalla Raccordo"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\raccordo-gui.exe"; Description: "Avvia Raccordo"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The site file in ProgramData and the users' data folders are kept on purpose.
Type: filesandordirs; Name: "{app}"

[Code]
function SiteFile(): String;
begin
  Result := ExpandConstant('{commonappdata}\Raccordo\raccordo.ini');
end;

procedure AddKey(var Lines: TArrayOfString; const Section, Key, Value: String);
var
  N: Integer;
begin
  if Value = '' then
    Exit;
  N := GetArrayLength(Lines);
  SetArrayLength(Lines, N + 3);
  Lines[N] := '[' + Section + ']';
  Lines[N + 1] := Key + ' = ' + Value;
  Lines[N + 2] := '';
end;

procedure WriteSiteFile();
var
  Source: String;
  Lines: TArrayOfString;
begin
  Source := ExpandConstant('{param:SITECONFIG|}');
  if Source <> '' then
  begin
    if not FileCopy(Source, SiteFile(), False) then
      RaiseException('Impossibile copiare il file di sede ' + Source);
    Exit;
  end;
  SetArrayLength(Lines, 1);
  Lines[0] := '; Scritto dall''installazione di Raccordo {#AppVersion}; vedere raccordo.ini.example';
  AddKey(Lines, 'server', 'url', ExpandConstant('{param:SERVER|}'));
  AddKey(Lines, 'site', 'office', ExpandConstant('{param:OFFICE|}'));
  AddKey(Lines, 'inbox', 'dir', ExpandConstant('{param:INBOX|}'));
  AddKey(Lines, 'templates', 'dir', ExpandConstant('{param:TEMPLATES|}'));
  AddKey(Lines, 'ui', 'lang', ExpandConstant('{param:UILANG|}'));
  AddKey(Lines, 'locked', 'keys', ExpandConstant('{param:LOCK|}'));
  if GetArrayLength(Lines) > 1 then
    if not SaveStringsToUTF8File(SiteFile(), Lines, False) then
      RaiseException('Impossibile scrivere ' + SiteFile());
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    WriteSiteFile();
end;
