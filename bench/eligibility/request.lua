-- request.lua — wrk script for bench/eligibility: every request asks for a random key from the
-- generator's sample, in one of the three forms.
--   wrk … -s request.lua URL -- KEYS_FILE FORM AUTH INSTITUTION TODAY [SEED]
-- FORM: v1 (POST /v1/eligibility, AUTH = API token), webapi (…/ILI01030SV01/search, AUTH =
-- idToken), xml (POST /oqs/v1/xml, AUTH = API token). Against nginx the same bodies go out.
local keys, form, auth, inst, today, path, headers

local function pad(ins)
  if #ins == 6 then return "  " .. ins end
  return ins
end

function init(args)
  local file, f = args[1], nil
  form, auth, inst, today = args[2], args[3], args[4], args[5]
  keys = {}
  for line in io.lines(file) do
    local i, s, n, b, d = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    if i then keys[#keys + 1] = {i, s, n, b, d} end
  end
  if args[6] then -- a fixed sequence of keys (instr.sh: the same work for every build)
    math.randomseed(tonumber(args[6]))
  else
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "1", 16) % 100000)
  end
  if form == "v1" then
    path = "/v1/eligibility"
    headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. auth}
  elseif form == "webapi" then
    path = "/oqs-api-pro/MSA01030/ILI01030SV01/search"
    headers = {["Content-Type"] = "application/json;charset=UTF-8", ["Authorization"] = auth}
  else
    path = "/oqs/v1/xml"
    headers = {["Content-Type"] = "application/xml", ["Authorization"] = "Bearer " .. auth}
  end
end

function request()
  local k = keys[math.random(#keys)]
  local ins, sym, num, br, birth = k[1], k[2], k[3], k[4], k[5]
  local compact = birth:gsub("-", "")
  local body
  if form == "v1" then
    body = string.format('{"insurer_number":"%s","symbol":%s,"number":"%s","branch":"%s",' ..
      '"birthdate":"%s","limit_consent":true}', ins, sym == "" and "null" or '"' .. sym .. '"',
      num, br, birth)
  elseif form == "webapi" then
    body = string.format('{"XmlMsg":{"MessageHeader":{"QualificationConfirmationDate":"%s",' ..
      '"MedicalInstitutionCode":"%s"},"MessageBody":{"QualificationConfirmSearchInfo":{' ..
      '"InsurerNumber":"%s",%s"InsuredIdentificationNumber":"%s","InsuredBranchNumber":"%s",' ..
      '"Birthdate":"%s","LimitApplicationCertificateRelatedConsFlg":"1"}}}}', today, inst,
      pad(ins), sym == "" and "" or '"InsuredCardSymbol":"' .. sym .. '",', num, br, compact)
  else
    body = string.format('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<XmlMsg>\n' ..
      '<MessageHeader><QualificationConfirmationDate>%s</QualificationConfirmationDate>' ..
      '<MedicalInstitutionCode>%s</MedicalInstitutionCode>' ..
      '<ArbitraryFileIdentifier>bench</ArbitraryFileIdentifier></MessageHeader>\n' ..
      '<MessageBody><QualificationConfirmSearchInfo><InsurerNumber>%s</InsurerNumber>%s' ..
      '<InsuredIdentificationNumber>%s</InsuredIdentificationNumber>' ..
      '<InsuredBranchNumber>%s</InsuredBranchNumber><Birthdate>%s</Birthdate>' ..
      '<LimitApplicationCertificateRelatedConsFlg>1</LimitApplicationCertificateRelatedConsFlg>' ..
      '</QualificationConfirmSearchInfo></MessageBody>\n</XmlMsg>\n', today, inst, pad(ins),
      sym == "" and "" or "<InsuredCardSymbol>" .. sym .. "</InsuredCardSymbol>", num, br, compact)
  end
  return wrk.format("POST", path, headers, body)
end
