{#-
    crm.user from Fivetran's Salesforce tables user and user_role: the role is the name of the
    user's role (user.user_role_id -> user_role.name, the org's own words, mapped to sdr, ae or
    manager by seeds/mappings/map_rep_roles.csv); null when user_role is not synced. The segment
    is a custom field (salesforce_field('segment'), default segment_c), null when absent. Every
    user stays, inactive and deleted ones too: owners of old records name them.
-#}
{{ config(enabled=connector_enabled('crm', 'salesforce')) }}
{{ salesforce_check_fields('user', ['segment']) }}

with

salesforce_users as (

    select * from {{ connector_select('salesforce', 'user', [
        ['id', 'varchar', 'required'],
        ['name', 'varchar'],
        ['email', 'varchar'],
        ['title', 'varchar'],
        ['user_role_id', 'varchar'],
        [salesforce_field('segment'), 'varchar'],
        ['is_active', 'boolean'],
        ['created_date', 'timestamp'],
    ] + salesforce_version_columns()) }} as salesforce_users

),

current_users as (

    select * from {{ salesforce_current('salesforce_users') }} as current_users

),

user_roles as (

    select * from {{ connector_select('salesforce', 'user_role', [
        ['id', 'varchar', 'required'],
        ['name', 'varchar'],
    ] + salesforce_version_columns()) }} as user_roles

),

current_roles as (

    select * from {{ salesforce_current('user_roles') }} as current_roles

),

final as (

    select
        current_users.id,
        current_users.name,
        current_users.email,
        current_users.title,
        current_roles.name as user_role,
        current_users.{{ salesforce_field('segment') }} as segment,
        current_users.is_active,
        current_users.created_date,
        current_users._fivetran_synced

    from current_users

    left join current_roles
        on current_users.user_role_id = current_roles.id

)

select * from final
