# The truck tables as a set of generations, offline (provider mocked, see
# main.tftest.hcl). The runs share one state, in order: one table; a second
# generation added; the function switched to it. What a plan would destroy
# shows as a generation missing from the planned tables, what it would
# create as one that is new; a table that stays has the identity it was
# created with. (A mocked provider plans no replacement: that a switch does
# not touch any table's arguments is checked by comparing them.)

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
}

override_resource {
  target = module.storage.aws_dynamodb_table.trucks[""]
  values = { id = "oops-trucks", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/oops-trucks" }
}

override_resource {
  target = module.storage.aws_dynamodb_table.trucks["g2"]
  values = { id = "oops-trucks-g2", arn = "arn:aws:dynamodb:us-east-1:123456789012:table/oops-trucks-g2" }
}

run "one_table_by_default" {
  assert {
    condition     = keys(module.storage.tables) == [""] && module.storage.tables[""].name == "oops-trucks"
    error_message = "one table, generation \"\", named table_name itself"
  }
  assert {
    condition     = module.storage.tables[""].deletion_protection_enabled == true
    error_message = "deletion protection on by default"
  }
  assert {
    condition = (output.table_name == "oops-trucks" && output.active_table_generation == ""
    && jsonencode(output.table_names) == jsonencode({ "" = "oops-trucks" }))
    error_message = "outputs: the active table, the generation, every table by generation"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables.TABLE_NAME == "oops-trucks"
    error_message = "the function writes the one table"
  }
}

run "adding_a_generation_creates_exactly_one_table" {
  command = plan
  variables {
    table_generations = ["", "g2"]
  }
  assert {
    condition     = setsubtract(keys(module.storage.tables), keys(run.one_table_by_default.table_names)) == toset(["g2"])
    error_message = "exactly one new table: generation g2"
  }
  assert {
    condition     = alltrue([for g, name in run.one_table_by_default.table_names : module.storage.table_names[g] == name])
    error_message = "every existing table stays, under its name"
  }
  assert {
    condition     = module.storage.tables[""].id == "oops-trucks" && module.storage.tables[""].deletion_protection_enabled
    error_message = "the existing table keeps its identity (a replacement would make it unknown) and its protection"
  }
  assert {
    condition     = module.storage.tables["g2"].name == "oops-trucks-g2" && module.storage.tables["g2"].deletion_protection_enabled && module.storage.tables["g2"].hash_key == "vin"
    error_message = "the new table: oops-trucks-g2, protected, keyed by vin"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables.TABLE_NAME == "oops-trucks"
    error_message = "adding a generation does not switch the function"
  }
}

run "two_generations" {
  variables {
    table_generations = ["", "g2"]
  }
  assert {
    condition     = jsonencode(output.table_names) == jsonencode({ "" = "oops-trucks", g2 = "oops-trucks-g2" }) && output.table_name == "oops-trucks"
    error_message = "both tables; the first still active"
  }
  assert {
    # Invocations started before a switch may still write the previous table.
    condition = jsonencode(sort(flatten([
      for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Resource if s.Sid == "UpdateTruckTable"
      ]))) == jsonencode([
      "arn:aws:dynamodb:us-east-1:123456789012:table/oops-trucks",
      "arn:aws:dynamodb:us-east-1:123456789012:table/oops-trucks-g2",
    ])
    error_message = "the function may read and write every table of the set: ${aws_iam_role_policy.function.policy}"
  }
}

run "switching_the_active_generation_touches_no_table" {
  command = plan
  variables {
    table_generations       = ["", "g2"]
    active_table_generation = "g2"
    # (server_side_encryption's key ARN is computed, a random string under a mock)
    table_arguments = ["hash_key", "attribute", "billing_mode", "read_capacity", "write_capacity", "deletion_protection_enabled", "point_in_time_recovery"]
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables.TABLE_NAME == "oops-trucks-g2"
    error_message = "the function now writes oops-trucks-g2"
  }
  assert {
    condition     = output.table_name == "oops-trucks-g2" && output.active_table_generation == "g2"
    error_message = "table_name (what the tools read) follows the active generation"
  }
  assert {
    condition     = jsonencode(module.storage.table_names) == jsonencode(run.two_generations.table_names)
    error_message = "no table destroyed or created, none renamed"
  }
  assert {
    condition     = module.storage.tables[""].id == "oops-trucks" && module.storage.tables["g2"].id == "oops-trucks-g2"
    error_message = "both tables keep their identity"
  }
  assert {
    # Every argument modules/storage/dynamodb.tf sets, but the name, equal for
    # the active table and the other one: the active generation is no input
    # of a table.
    condition     = jsonencode({ for k in var.table_arguments : k => module.storage.tables[""][k] }) == jsonencode({ for k in var.table_arguments : k => module.storage.tables["g2"][k] })
    error_message = "the two generations are the same table but for their names: ${jsonencode({ for k in var.table_arguments : k => module.storage.tables[""][k] })} vs ${jsonencode({ for k in var.table_arguments : k => module.storage.tables["g2"][k] })}"
  }
  assert {
    condition     = alltrue([for t in values(module.storage.tables) : one(t.server_side_encryption).enabled])
    error_message = "both encrypted with KMS"
  }
}

run "the_active_generation_must_exist" {
  command = plan
  variables {
    table_generations       = ["", "g2"]
    active_table_generation = "g3"
  }
  expect_failures = [var.active_table_generation]
}

run "generations_are_short_lower_case_names" {
  command = plan
  variables {
    table_generations = ["", "G2"]
  }
  expect_failures = [var.table_generations]
}

run "protection_can_be_lifted" {
  command = plan
  variables {
    table_generations         = ["", "g2"]
    table_deletion_protection = false
  }
  assert {
    condition     = alltrue([for t in values(module.storage.tables) : t.deletion_protection_enabled == false])
    error_message = "table_deletion_protection = false lifts it on every table"
  }
}

run "prefixed_generations" {
  command = plan
  variables {
    name_prefix             = "dev-"
    table_generations       = ["", "b7"]
    active_table_generation = "b7"
  }
  assert {
    condition     = jsonencode(module.storage.table_names) == jsonencode({ "" = "dev-oops-trucks", b7 = "dev-oops-trucks-b7" }) && aws_lambda_function.this.environment[0].variables.TABLE_NAME == "dev-oops-trucks-b7"
    error_message = "generation names follow the prefixed table_name"
  }
}
