"""The regulation's preset reference data: departments and fault categories.

Policy numbers (durations, windows, limits) are the field defaults of policy.models.Policy.
"""

# (code, name, is the dispatch center). Names are the units of the regulation.
DEPARTMENTS = [
    ("dispatch_center", "调度服务中心", True),
    ("supply_1", "供水一部", False),
    ("supply_2", "供水二部", False),
    ("supply_3", "供水三部", False),
    ("install", "安装队", False),
    ("drainage", "给排水", False),
    ("waterworks", "水厂", False),
    ("sewage", "污水厂", False),
    ("engineering", "工程科", False),
    ("finance", "财务科（收费室）", False),
    ("office", "办公室", False),
    ("inspection", "督查室", False),
    ("hr", "人保科", False),
]

# (code, name, default department, time limit in hours). Urgent faults that leave citizens without
# water get a day; the rest get three to five days.
CATEGORIES = [
    ("no_water", "停水", "supply_1", 24),
    ("low_pressure", "水压低", "supply_1", 72),
    ("water_quality", "水质问题", "waterworks", 72),
    ("pipe_leak", "管道漏水/爆管", "supply_1", 24),
    ("meter", "水表问题", "install", 72),
    ("billing", "水费收费", "finance", 72),
    ("installation", "报装安装", "install", 120),
    ("sewage", "排水污水", "drainage", 72),
    ("construction", "施工影响", "engineering", 120),
    ("consultation", "咨询", "dispatch_center", 24),
    ("other", "其他", "dispatch_center", 72),
]
